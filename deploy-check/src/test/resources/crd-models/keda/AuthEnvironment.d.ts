import { ModelData, Model } from "@kubernetes-models/base";
/**
 * AuthEnvironment is used to authenticate using environment variables
 * in the destination ScaleTarget spec
 */
export interface IAuthEnvironment {
    "containerName"?: string;
    "name": string;
    "parameter": string;
}
/**
 * AuthEnvironment is used to authenticate using environment variables
 * in the destination ScaleTarget spec
 */
export declare class AuthEnvironment extends Model<IAuthEnvironment> implements IAuthEnvironment {
    "containerName"?: string;
    "name": string;
    "parameter": string;
    constructor(data?: ModelData<IAuthEnvironment>);
}
export type { IAuthEnvironment as IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthEnvironment, AuthEnvironment as ComGithubKedacoreKedaV2ApisKedaV1alpha1AuthEnvironment };

import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerValue } from "./AwsSecretManagerValue.js";
import { ModelData, Model } from "@kubernetes-models/base";
export interface IAwsSecretManagerCredentials {
    "accessKey": IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerValue;
    "accessSecretKey": IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerValue;
    "accessToken"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerValue;
}
export declare class AwsSecretManagerCredentials extends Model<IAwsSecretManagerCredentials> implements IAwsSecretManagerCredentials {
    "accessKey": IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerValue;
    "accessSecretKey": IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerValue;
    "accessToken"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerValue;
    constructor(data?: ModelData<IAwsSecretManagerCredentials>);
}
export type { IAwsSecretManagerCredentials as IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerCredentials, AwsSecretManagerCredentials as ComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerCredentials };
